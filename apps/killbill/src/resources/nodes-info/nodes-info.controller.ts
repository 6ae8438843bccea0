import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditedCall, BooleanPipe, NoTenant } from '@kb/platform';
import { NodeCommand, NodeInfo } from './nodes-info.dto';
import { NodesInfoService } from './nodes-info.service';

@ApiTags('NodesInfo')
@Controller('1.0/kb/nodesInfo')
export class NodesInfoController {
  constructor(private readonly nodes: NodesInfoService) {}

  @Get()
  @NoTenant()
  @ApiOperation({ operationId: 'getNodesInfo', summary: 'Retrieve all the nodes infos' })
  @ApiOkResponse({ type: [NodeInfo], description: 'successful operation' })
  getNodesInfo(): Promise<NodeInfo[]> {
    return this.nodes.nodesInfo();
  }

  @Post()
  @NoTenant()
  @AuditedCall()
  @HttpCode(202)
  @ApiOperation({ operationId: 'triggerNodeCommand', summary: 'Trigger a node command' })
  @ApiQuery({ name: 'localNodeOnly', required: false, type: Boolean })
  @ApiResponse({ status: 202, description: 'Successful operation' })
  @ApiResponse({ status: 400, description: 'Invalid node command supplied' })
  triggerNodeCommand(@Body() body: NodeCommand, @Query('localNodeOnly', new BooleanPipe(false)) localNodeOnly: boolean): Promise<void> {
    return this.nodes.triggerNodeCommand(body, localNodeOnly);
  }
}
